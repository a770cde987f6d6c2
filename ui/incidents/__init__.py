"""The incident wizard: the open incident, its six stage pages, its timeline."""
