//! Category paths as the catalogue writes them, "Fotografie > Kameras >
//! Spiegellos": the one place that says which path lies in which, used by
//! earning (`loyalty::earn`), targeting (`targeting::target`), the cross-selling
//! rules (`cross_sell::rules`) and `treue check`.

/// Between the parts of a path.
pub const SEPARATOR: char = '>';

/// Whether `path` is `prefix` or lies below it. Whole parts only, spaces
/// around the separator ignored: "Kaffee" does not match "Kaffeemaschinen",
/// and "Kaffee>Bohnen" is "Kaffee > Bohnen".
pub fn in_category(path: &str, prefix: &str) -> bool {
    let mut have = path.split(SEPARATOR).map(str::trim);
    prefix.split(SEPARATOR).map(str::trim).all(|want| have.next() == Some(want))
}

/// The last part of a path, the one a shopper reads: "Spiegellos".
pub fn leaf(path: &str) -> &str {
    path.rsplit(SEPARATOR).next().unwrap_or(path).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_lies_in_itself_and_in_its_ancestors_by_whole_parts() {
        assert!(in_category("Fotografie", "Fotografie"));
        assert!(in_category("Fotografie > Kameras", "Fotografie"));
        assert!(in_category("Fotografie > Kameras", "Fotografie>Kameras"));
        assert!(in_category("Kaffee>Bohnen", " Kaffee "));
        assert!(!in_category("Fotografie", "Fotografie > Kameras"));
        assert!(!in_category("Fotografiezubehör > Taschen", "Fotografie"));
        assert!(!in_category("Fotografie > Kameras", "Foto"));
        assert!(!in_category("Kaffeemaschinen", "Kaffee"));
    }

    #[test]
    fn the_leaf_is_the_last_part_without_its_spaces() {
        assert_eq!(leaf("Fotografie > Kameras > Spiegellos"), "Spiegellos");
        assert_eq!(leaf("Kaffee>Bohnen "), "Bohnen");
        assert_eq!(leaf("Kaffee"), "Kaffee");
        assert_eq!(leaf(""), "");
    }
}
