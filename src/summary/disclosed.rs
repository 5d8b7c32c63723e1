//! [`Disclosed`]: a value a report may show, or the mark that it is withheld.

/// A value a report may show, or the mark that disclosure control withheld it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Disclosed<T> {
    /// The value.
    Shown(T),
    /// Withheld: the group, or the people behind this value, are too few to show.
    Withheld,
}

impl<T> Disclosed<T> {
    /// The value, unless withheld.
    pub fn shown(&self) -> Option<&T> {
        match self {
            Disclosed::Shown(t) => Some(t),
            Disclosed::Withheld => None,
        }
    }

    /// The value, unless withheld, taking it.
    pub fn into_shown(self) -> Option<T> {
        match self {
            Disclosed::Shown(t) => Some(t),
            Disclosed::Withheld => None,
        }
    }

    /// A reference to the value, still marked.
    pub fn as_ref(&self) -> Disclosed<&T> {
        match self {
            Disclosed::Shown(t) => Disclosed::Shown(t),
            Disclosed::Withheld => Disclosed::Withheld,
        }
    }

    /// The value changed by `f`, unless withheld.
    ///
    /// ```
    /// use living_well::Disclosed;
    /// assert_eq!(Disclosed::Shown(2).map(|n| n * 10), Disclosed::Shown(20));
    /// assert_eq!(Disclosed::<u32>::Withheld.map(|n| n * 10), Disclosed::Withheld);
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Disclosed<U> {
        match self {
            Disclosed::Shown(t) => Disclosed::Shown(f(t)),
            Disclosed::Withheld => Disclosed::Withheld,
        }
    }

    /// Whether the value is withheld.
    pub fn is_withheld(&self) -> bool {
        matches!(self, Disclosed::Withheld)
    }
}

impl<T> From<Disclosed<T>> for Option<T> {
    fn from(d: Disclosed<T>) -> Option<T> {
        d.into_shown()
    }
}

impl<T: serde::Serialize> serde::Serialize for Disclosed<T> {
    /// A shown value as itself; a withheld one as `{"withheld": true}`, as every report
    /// marks it.
    ///
    /// ```
    /// use living_well::Disclosed;
    /// assert_eq!(serde_json::to_string(&Disclosed::Shown(3)).unwrap(), "3");
    /// assert_eq!(serde_json::to_string(&Disclosed::<u8>::Withheld).unwrap(), r#"{"withheld":true}"#);
    /// ```
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Disclosed::Shown(t) => t.serialize(s),
            Disclosed::Withheld => {
                let mut map = s.serialize_map(Some(1))?;
                map.serialize_entry("withheld", &true)?;
                map.end()
            }
        }
    }
}
