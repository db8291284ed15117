"""One file's stat signature: the quick test that a file is as it was.

Every reuse decision of a build starts here: a content file untouched since it was read,
a page still in the output folder as it was written, a copied file unchanged. The
signature is what ``os.stat`` says (modification and change times, size, inode); where
it matters, a digest of the bytes backs it (two writes of one size in one clock tick of
the file system look alike). Lektor's ``FileInfo`` is the model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class FileSignature(NamedTuple):
    """What ``os.stat`` says of a file, compared as a whole."""

    mtime_ns: int
    ctime_ns: int
    size: int
    inode: int

    @classmethod
    def of_stat(cls, info: os.stat_result) -> FileSignature:
        return cls(info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)

    @classmethod
    def of(cls, path: str | Path, *, follow_symlinks: bool = True) -> FileSignature | None:
        """The file's signature now; None when there is no file to stat."""
        try:
            return cls.of_stat(os.stat(path, follow_symlinks=follow_symlinks))
        except OSError:
            return None
