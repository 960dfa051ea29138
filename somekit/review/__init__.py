"""Human review as data of its own, apart from the build output.

    review/<task>/selection.json   which items go to people and why (push writes it)
    review/<task>/sync.json        which Label Studio task holds which item (push)
    review/<task>/decisions.jsonl  one decision per item id, from the annotations (pull)

Nothing here rewrites items/<task>/items.jsonl: `join` lays the decisions over the items when they
are read (status, freeze), so a rebuild that yields the same item keeps its decision and an item
whose content changed under the same id goes back to review. The Label Studio round trip lives in
review/labelstudio/; the modules at this level never import it, so freeze and status work without
a server.
"""
