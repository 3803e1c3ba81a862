// Written for docbot's tests: CS1591 at its edges, as Mono's mcs reports it.
using System;

namespace Quirks {

	/// <summary>A doc comment, then a plain comment and a blank line: still documented.</summary>
	// note

	public partial class Foo : IDisposable {
		/** <summary>Block doc comments count.</summary> */
		public void Block () {}
		/**/
		public void EmptyBlock () {}
		/// <summary>Directives between the comment and the member are fine.</summary>
		#region R
		public void AfterRegion () {}
		#endregion
		/// <summary>Above the attributes: documented.</summary>
		[Obsolete]
		public void Attr () {}
		[Obsolete ("x")]
		public void Undocumented () {}
		public static implicit operator int (Foo f) { return 0; }
		protected internal void Pi () {}
		internal class Hidden { public void H () {} }
		public class Nested { public int A, B; }
		public override string ToString () { return ""; }
		void IDisposable.Dispose () {}
		static Foo () {}
		~Foo () {}
		public Foo () {}
		public int this [int i] { get { return i; } }
		public event EventHandler Changed;
		public delegate void Callback (int x);
		public const int Answer = 42;
		public T Get<T> (T fallback, params string [] keys) { throw new ArgumentException ("x"); }
	}

	public partial class Foo {
		public void Other () {}
	}

	public sealed class Sealed { protected void Prot () {} }

	public interface IShape { double Area (); event EventHandler Moved; int Sides { get; } }

	public enum Color { [Obsolete] Red, Green }

	class Internal { public void Hidden () {} }

#pragma warning disable 1591
	public class Off {
		public void Quiet () {}
#pragma warning restore 1591
		public void Loud () {}
	}
}
