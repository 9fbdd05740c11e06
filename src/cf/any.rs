//! An owned reference to a CF object of any class (placeholder: the CF containers fill it).
