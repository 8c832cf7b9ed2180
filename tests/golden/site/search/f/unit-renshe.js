dangjianSearch.add("f/unit-renshe","C");
