//! Hashing of serialisable data, as cache keys need it: every value is fed to the hasher as
//! tagged binary (a kind byte, then fixed-size numbers or length-prefixed bytes), so that two
//! different values of a type never feed the same bytes. Keys hashed the JSON of each page's
//! data before: escaping and formatting it was half of finding out which pages a rebuild
//! must make (`document_keys`: 36 ms of a 600 ms rebuild at 3×).

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::Key;

/// Hashes whatever is fed or serialised into it.
pub struct Hasher {
    state: Box<Xxh3>,
    /// Bytes not yet handed to `state`. A page's data comes as thousands of pieces of one to
    /// eight bytes (a tag, a number, a length), and a call to the hasher for each cost more
    /// than hashing them: they are gathered here and handed on in blocks. XXH3 gives the same
    /// hash however its input is cut, so the keys are those of unbuffered hashing.
    pending: Vec<u8>,
}

/// How many bytes [`Hasher`] gathers before handing them on.
const PENDING: usize = 1024;

impl Hasher {
    /// A hasher already fed with `seed` (e.g. the site's key), so keys of different builds or
    /// kinds of input never meet.
    pub fn new(seed: &[u8]) -> Hasher {
        let mut h = Hasher { state: Box::new(Xxh3::new()), pending: Vec::with_capacity(PENDING) };
        h.bytes(seed);
        h
    }

    /// Feeds a length-prefixed byte string: `("ab", "c")` and `("a", "bc")` differ.
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.feed(&(bytes.len() as u64).to_le_bytes());
        self.feed(bytes);
        self
    }

    fn feed(&mut self, bytes: &[u8]) {
        if self.pending.len() + bytes.len() > PENDING {
            self.state.update(&self.pending);
            self.pending.clear();
        }
        if bytes.len() >= PENDING {
            self.state.update(bytes);
        } else {
            self.pending.extend_from_slice(bytes);
        }
    }

    /// Feeds `value` with every field a template could see: field and map keys included, so
    /// a field left out (`skip_serializing_if`) cannot pass for another.
    pub fn value(&mut self, value: &impl Serialize) -> &mut Self {
        value.serialize(&mut *self).expect("the data of pages serialises");
        self
    }

    pub fn key(&self) -> Key {
        let mut state = (*self.state).clone();
        state.update(&self.pending);
        state.digest128().to_le_bytes()
    }

    fn tag(&mut self, kind: u8) -> &mut Self {
        self.feed(&[kind]);
        self
    }

    fn number(&mut self, kind: u8, le: &[u8]) -> Result<(), Error> {
        self.tag(kind).feed(le);
        Ok(())
    }
}

/// A value that cannot be hashed: only a `Serialize` impl that fails on its own gives one.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

// Kind bytes, one per width of number too. A sequence or map ends with END, so that its length
// need not be known first.
const END: u8 = 0;
const SEQ: u8 = 1;
const MAP: u8 = 2;
const STR: u8 = 3;
const BYTES: u8 = 4;
const NONE: u8 = 5;
const SOME: u8 = 6;
const UNIT: u8 = 7;
const VARIANT: u8 = 8;
const BOOL: u8 = 9;
const INT: u8 = 10;
const UINT: u8 = 11;
const FLOAT: u8 = 12;
const CHAR: u8 = 13;
const INT128: u8 = 14;
const UINT128: u8 = 15;

impl ser::Serializer for &mut Hasher {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.number(BOOL, &[v as u8])
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.number(INT, &v.to_le_bytes())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.number(INT128, &v.to_le_bytes())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.number(UINT, &v.to_le_bytes())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.number(UINT128, &v.to_le_bytes())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.number(FLOAT, &v.to_bits().to_le_bytes())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.number(CHAR, &(v as u32).to_le_bytes())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.tag(STR).bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.tag(BYTES).bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.tag(NONE);
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self.tag(SOME))
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.tag(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.tag(VARIANT).bytes(variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(self, _: &'static str, _: u32, variant: &'static str, value: &T) -> Result<(), Error> {
        value.serialize(self.tag(VARIANT).bytes(variant.as_bytes()))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Error> {
        Ok(self.tag(SEQ))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Error> {
        Ok(self.tag(SEQ))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self.tag(SEQ))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self.tag(VARIANT).bytes(variant.as_bytes()).tag(SEQ))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Error> {
        Ok(self.tag(MAP))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self.tag(MAP))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Error> {
        Ok(self.tag(VARIANT).bytes(variant.as_bytes()).tag(MAP))
    }
}

// The compounds of items without names are all hashed as a sequence, the named ones as a map.
macro_rules! as_sequence {
    ($($compound:ident :: $item:ident),*) => {$(
        impl ser::$compound for &mut Hasher {
            type Ok = ();
            type Error = Error;
            fn $item<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

as_sequence!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

macro_rules! as_named_fields {
    ($($compound:ident),*) => {$(
        impl ser::$compound for &mut Hasher {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, name: &'static str, value: &T) -> Result<(), Error> {
                self.tag(STR).bytes(name.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Error> {
                self.tag(END);
                Ok(())
            }
        }
    )*};
}

as_named_fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for &mut Hasher {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Error> {
        self.tag(END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn key(v: &impl Serialize) -> Key {
        Hasher::new(b"t").value(v).key()
    }

    #[derive(Serialize)]
    struct Meta {
        #[serde(skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
        title: String,
    }

    #[test]
    fn the_key_is_the_hash_of_every_byte_fed_however_they_were_gathered() {
        // pieces smaller than, around and larger than what is gathered before hashing
        let pieces: Vec<Vec<u8>> = [1, 7, PENDING - 3, 2, PENDING, 5, 3 * PENDING + 1, 0, 9].iter().enumerate().map(|(i, &n)| vec![i as u8; n]).collect();
        let mut h = Hasher::new(b"seed");
        let mut fed: Vec<u8> = [4u64.to_le_bytes().as_slice(), b"seed"].concat();
        for piece in &pieces {
            h.bytes(piece);
            fed.extend((piece.len() as u64).to_le_bytes());
            fed.extend(piece);
            assert_eq!(h.key(), xxhash_rust::xxh3::xxh3_128(&fed).to_le_bytes(), "after {} bytes", fed.len());
        }
    }

    #[test]
    fn values_that_differ_hash_apart() {
        let parts = |parts: &[&str]| {
            let mut h = Hasher::new(b"seed");
            for p in parts {
                h.bytes(p.as_bytes());
            }
            h.key()
        };
        assert_ne!(parts(&["ab", "c"]), parts(&["a", "bc"]));
        assert_eq!(parts(&["ab", "c"]), parts(&["ab", "c"]));
        // strings split differently, a field left out for another, nesting, kinds of number
        assert_ne!(key(&("ab", "c")), key(&("a", "bc")));
        let meta = |number: Option<&str>, topic: Option<&str>| Meta { number: number.map(Into::into), topic: topic.map(Into::into), title: "通知".into() };
        assert_ne!(key(&meta(Some("x"), None)), key(&meta(None, Some("x"))));
        assert_eq!(key(&meta(Some("x"), None)), key(&meta(Some("x"), None)));
        assert_ne!(key(&vec![vec![1], vec![]]), key(&vec![vec![], vec![1]]));
        assert_ne!(key(&Some(1u8)), key(&1u8));
        assert_ne!(key(&1u32), key(&1i32));
        assert_ne!(key(&serde_json::json!({"a": [1, 2]})), key(&serde_json::json!({"a": [1], "b": 2})));
        assert_ne!(Hasher::new(b"a").key(), Hasher::new(b"b").key());
    }
}
