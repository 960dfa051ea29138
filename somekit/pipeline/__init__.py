"""`somekit run` and `somekit demo`: every enabled stage, in order, resumably."""
