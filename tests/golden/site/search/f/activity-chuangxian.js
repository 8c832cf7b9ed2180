dangjianSearch.add("f/activity-chuangxian","~Aw");
