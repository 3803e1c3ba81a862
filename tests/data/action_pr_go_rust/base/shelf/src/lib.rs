//! A shelf of books.

mod index;
