//! A shelf of books.

mod index;

pub use index::Index;

/// How a shelf failed.
#[derive(Debug)]
pub enum ShelfError {
    Full,
    Missing {
        title: String,
    },
}

#[derive(Debug, Default)]
pub struct Shelf {
    pub capacity: usize,
    books: Vec<String>,
}

impl Shelf {
    pub fn put(&mut self, title: &str) -> Result<(), ShelfError> {
        if self.books.len() >= self.capacity {
            return Err(ShelfError::Full);
        }
        self.books.push(title.to_owned());
        Ok(())
    }

    pub unsafe fn first_unchecked(&self) -> &str {
        self.books.get_unchecked(0)
    }
}

impl Clone for Shelf {
    fn clone(&self) -> Self {
        Shelf { capacity: self.capacity, books: self.books.clone() }
    }
}

#[cfg(test)]
mod tests {
    pub fn helper() {}
}
