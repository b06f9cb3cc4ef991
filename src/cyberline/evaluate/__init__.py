"""Scoring: the extractor against labelled data (`cyberline eval`) and the classifier alone."""
