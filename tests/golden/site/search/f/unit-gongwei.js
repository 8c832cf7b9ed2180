dangjianSearch.add("f/unit-gongwei","~Bw");
