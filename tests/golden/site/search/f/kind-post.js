dangjianSearch.add("f/kind-post","B");
