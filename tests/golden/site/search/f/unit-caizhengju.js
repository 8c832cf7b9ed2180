dangjianSearch.add("f/unit-caizhengju","~Aw");
