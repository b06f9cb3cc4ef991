"""The collection stage's own error: one line naming the input and the reason."""


class CollectError(Exception):
    def __init__(self, where: str, reason: str):
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason
