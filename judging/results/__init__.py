"""Rankings and awards: the stored rankings (store.py), their evidence, ties, publishing and the
public results."""
