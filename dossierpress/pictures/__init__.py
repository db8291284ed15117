"""News pictures: what a page shows of a picture (``model``), and how the files readers
get are made from the editor's (``process``): several widths in WebP and the source's
format, share-card crops, orientation applied and every byte of metadata left out."""
