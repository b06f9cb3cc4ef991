"""cyberline: public cyber-incident disclosures -> a structured, published timeline of attacks."""

__version__ = "0.1.0"
