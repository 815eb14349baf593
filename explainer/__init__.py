"""A static explainer-website generator: Markdown sections and YAML claim data in,
a static HTML site out. Stages, in the order data flows:

config -> content -> data -> markdown/render -> output -> (serve | check)
"""

__version__ = "0.1.0"
