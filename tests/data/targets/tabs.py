class Tabbed:
	def method(self, a,
			b):
		return a

	def one(self): return 1


def crlf_style(x):
	return x
