class Hidden:
    def method(self):
        pass


def hidden():
    pass
