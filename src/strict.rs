//! The one deserializer over `JSON.parse` output (and the plain objects the
//! shop passes to `treue.setCart`/`setCustomer`). Unlike serde-wasm-bindgen's
//! own it shows every key of an object to the visitor, so
//! `deny_unknown_fields` fires in the browser and a typo in the rules is
//! reported; serde-wasm-bindgen looks up only the fields a struct declares.
//! Every read of a JS value goes through this type, so each type's serde
//! visitors are compiled once (reading the rules here and scalars or a wrong
//! shape through serde-wasm-bindgen compiled them twice, about 16 KB brotli).
//! Values follow serde-wasm-bindgen's mapping: numbers that are safe integers
//! read as integers, `null` and `undefined` as none, an enum as `"variant"`
//! or `{"variant": payload}`; its `Error` (a JS `Error`) stays the error type.

use std::fmt;

use js_sys::{Array, Number, Object};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, Expected, MapAccess, SeqAccess, Unexpected,
    VariantAccess, Visitor,
};
use serde::Deserialize;
use treue_core::message::Quoted;
use wasm_bindgen::{JsCast, JsValue};

pub struct Strict(pub JsValue);

/// What could not be read, in serde's words: "missing field `sku`".
#[derive(Debug, Clone, PartialEq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Error {
        Error(message.to_string())
    }

    // serde's own wording, but the value is written by `Found`: serde's
    // `Display` of `Unexpected` prints floats with Rust's float formatting,
    // which alone is about 8 KB of the bundle.
    fn invalid_type(unexpected: Unexpected, expected: &dyn Expected) -> Error {
        Error(format!("invalid type: {}, expected {expected}", Found(unexpected)))
    }

    fn invalid_value(unexpected: Unexpected, expected: &dyn Expected) -> Error {
        Error(format!("invalid value: {}, expected {expected}", Found(unexpected)))
    }
}

/// `Unexpected` as serde writes it, with a float written by JS.
struct Found<'a>(Unexpected<'a>);

impl fmt::Display for Found<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Unexpected::Bool(b) => write!(f, "boolean `{b}`"),
            Unexpected::Unsigned(i) => write!(f, "integer `{i}`"),
            Unexpected::Signed(i) => write!(f, "integer `{i}`"),
            Unexpected::Float(v) => {
                let text = Number::from(v).to_string_with_radix(10).map(String::from).unwrap_or_default();
                write!(f, "floating point `{text}`")
            }
            Unexpected::Char(c) => write!(f, "character `{c}`"),
            Unexpected::Str(s) => write!(f, "string {}", Quoted(s)),
            Unexpected::Bytes(_) => f.write_str("byte array"),
            Unexpected::Unit => f.write_str("unit value"),
            Unexpected::Option => f.write_str("Option value"),
            Unexpected::NewtypeStruct => f.write_str("newtype struct"),
            Unexpected::Seq => f.write_str("sequence"),
            Unexpected::Map => f.write_str("map"),
            Unexpected::Enum => f.write_str("enum"),
            Unexpected::UnitVariant => f.write_str("unit variant"),
            Unexpected::NewtypeVariant => f.write_str("newtype variant"),
            Unexpected::TupleVariant => f.write_str("tuple variant"),
            Unexpected::StructVariant => f.write_str("struct variant"),
            Unexpected::Other(other) => f.write_str(other),
        }
    }
}

/// Reads a `T` from a JS value.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, Error> {
    T::deserialize(Strict(value))
}

impl Strict {
    fn object(&self) -> Option<&Object> {
        (self.0.is_object() && !Array::is_array(&self.0)).then(|| self.0.unchecked_ref::<Object>())
    }

    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn as_f64(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }

    fn integer(&self) -> Option<i64> {
        Number::is_safe_integer(&self.0).then(|| self.0.unchecked_into_f64() as i64)
    }

    /// serde's "invalid type: ..., expected ..." for this value; not generic,
    /// so it is compiled once for every visitor.
    #[cold]
    fn invalid_type(&self, expected: &dyn Expected) -> Error {
        let string;
        let unexpected = if self.is_nullish() {
            Unexpected::Unit
        } else if let Some(v) = self.0.as_bool() {
            Unexpected::Bool(v)
        } else if let Some(v) = self.integer() {
            Unexpected::Signed(v)
        } else if let Some(v) = self.0.as_f64() {
            Unexpected::Float(v)
        } else if let Some(v) = self.0.as_string() {
            string = v;
            Unexpected::Str(&string)
        } else if Array::is_array(&self.0) {
            Unexpected::Seq
        } else {
            Unexpected::Map
        };
        serde::de::Error::invalid_type(unexpected, expected)
    }
}

/// Every entry of an object, in order, each key and value read strictly again.
struct Entries {
    entries: Array,
    next: u32,
    value: Option<JsValue>,
}

impl Entries {
    /// The next key, keeping its value for `next_value_seed`. Not generic and
    /// not inlined: every struct's visitor calls it, and it is compiled once.
    #[inline(never)]
    fn next_key(&mut self) -> Option<Strict> {
        if self.next >= self.entries.length() {
            return None;
        }
        let pair: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        Some(Strict(pair.get(0)))
    }

    #[inline(never)]
    fn next_value(&mut self) -> Strict {
        Strict(self.value.take().unwrap_or(JsValue::UNDEFINED))
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        self.next_key().map(|key| seed.deserialize(key)).transpose()
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(self.next_value())
    }
}

struct Items {
    items: Array,
    next: u32,
}

impl Items {
    #[inline(never)]
    fn next_item(&mut self) -> Option<Strict> {
        if self.next >= self.items.length() {
            return None;
        }
        let item = self.items.get(self.next);
        self.next += 1;
        Some(Strict(item))
    }
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        self.next_item().map(|item| seed.deserialize(item)).transpose()
    }
}

/// An enum as `"variant"` (`payload` undefined) or `{"variant": payload}`.
struct Variant {
    tag: JsValue,
    payload: JsValue,
}

impl<'de> EnumAccess<'de> for Variant {
    type Error = Error;
    type Variant = Strict;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Strict), Error> {
        Ok((seed.deserialize(Strict(self.tag))?, Strict(self.payload)))
    }
}

impl<'de> VariantAccess<'de> for Strict {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        <()>::deserialize(self)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }
}

/// `Deserializer` methods for one kind of JS value: `method: getter => visit;`.
macro_rules! scalar {
    ($($method:ident: $get:ident => $visit:ident;)*) => {
        $(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.$get() {
                Some(v) => visitor.$visit(v),
                None => Err(self.invalid_type(&visitor)),
            }
        })*
    };
}

/// `Deserializer` methods that read as another: `target: method, ...;`.
macro_rules! forward {
    ($($target:ident: $($method:ident),+;)*) => {
        $($(fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.$target(visitor)
        })+)*
    };
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(v) = self.0.as_bool() {
            visitor.visit_bool(v)
        } else if let Some(v) = self.integer() {
            visitor.visit_i64(v)
        } else if let Some(v) = self.0.as_f64() {
            visitor.visit_f64(v)
        } else if let Some(v) = self.0.as_string() {
            visitor.visit_string(v)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.deserialize_map(visitor)
        }
    }

    scalar! {
        deserialize_bool: as_bool => visit_bool;
        deserialize_i64: integer => visit_i64;
        deserialize_f64: as_f64 => visit_f64;
        deserialize_string: as_string => visit_string;
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.integer() {
            Some(v) if v >= 0 => visitor.visit_u64(v as u64),
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if Array::is_array(&self.0) {
            visitor.visit_seq(Items { items: self.0.unchecked_into(), next: 0 })
        } else {
            Err(self.invalid_type(&visitor))
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.object() {
            Some(object) => visitor.visit_map(Entries { entries: Object::entries(object), next: 0, value: None }),
            None => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.0.is_string() {
            return visitor.visit_enum(Variant { tag: self.0, payload: JsValue::UNDEFINED });
        }
        let Some(object) = self.object() else { return Err(self.invalid_type(&visitor)) };
        let entries = Object::entries(object);
        if entries.length() != 1 {
            return Err(serde::de::Error::invalid_length(entries.length() as usize, &"1"));
        }
        let pair: Array = entries.get(0).unchecked_into();
        visitor.visit_enum(Variant { tag: pair.get(0), payload: pair.get(1) })
    }

    /// Ignored values are not looked at.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    // serde's visitors convert between integer widths (with checks) and from
    // strings to chars, so the narrow forms forward to one method each.
    forward! {
        deserialize_i64: deserialize_i8, deserialize_i16, deserialize_i32;
        deserialize_u64: deserialize_u8, deserialize_u16, deserialize_u32;
        deserialize_f64: deserialize_f32;
        deserialize_string: deserialize_char, deserialize_str, deserialize_identifier;
        deserialize_seq: deserialize_bytes, deserialize_byte_buf;
    }
}
