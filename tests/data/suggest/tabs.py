import os


class Walker:
	def walk(self, root):
		for name in os.listdir(root):
			yield name

	def short(self): return 1

	class Nested:
		def deep(self, a,
				b):
			if a:
				return b


def top(): pass
