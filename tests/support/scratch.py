"""A scratch folder for tests that write their own policies, templates and events."""

import os
import tempfile


def scratch_writer(prefix):
    """Return write(name, text), which writes UTF-8 text under a new temporary folder.

    The name may contain folders, which are created. The text is written byte for byte (no
    newline translation), and write returns the file's path. The folder is write.root.
    """
    root = tempfile.mkdtemp(prefix=prefix)

    def write(name, text):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return path

    write.root = root
    return write
