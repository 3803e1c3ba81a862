pub struct Hidden;

pub struct Index {
    pub entries: Vec<String>,
}
