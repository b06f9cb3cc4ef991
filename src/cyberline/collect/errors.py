"""The collection stage's own error: one line naming the input and the reason.

Every parser in ``cyberline.collect`` either returns valid documents or raises CollectError;
no other exception escapes them on any input (tests/reliability proves it with hypothesis).
"""


class CollectError(Exception):
    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
