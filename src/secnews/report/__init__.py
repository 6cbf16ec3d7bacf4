"""``secnews report``: a static HTML site over the corpus (statistics with plots, every document with its
four layers, two annotation sets side by side, search by label). Plain files: no server, no CDN."""
