"""Publishing: the static site with its Atom feeds."""
