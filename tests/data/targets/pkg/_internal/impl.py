class Impl:
    def run(self):
        pass
