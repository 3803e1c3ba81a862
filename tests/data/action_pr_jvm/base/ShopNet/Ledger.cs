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
    }
}
