dangjianSearch.add("f/kind-branch","A");
