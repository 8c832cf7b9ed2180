dangjianSearch.add("f/kind-case","C");
