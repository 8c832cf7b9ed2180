dangjianSearch.add("f/activity-sibang","~Bg");
