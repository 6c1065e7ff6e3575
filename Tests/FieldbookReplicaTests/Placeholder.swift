// Replica tests arrive with the replica core.
