using System.Collections.Generic;

namespace Shop
{
    /// <summary>A ledger of amounts in cents.</summary>
    public class Ledger
    {
        private readonly List<long> entries = new List<long> ();

        /// <summary>Adds one entry.</summary>
        public void Add (long cents)
        {
            entries.Add (cents);
        }

        public long Total ()
        {
            long sum = 0;
            foreach (var entry in entries) {
                sum += entry;
            }
            return sum;
        }

        public int Count {
            get { return entries.Count; }
        }

        internal void Clear ()
        {
            entries.Clear ();
        }
    }
}
