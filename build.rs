//! Ships `src/widgets/widgets.css` without its comments and layout whitespace:
//! they are for the people editing it, and were a tenth of the bundle's CSS
//! bytes (docs/size.md). Quoted strings are copied as they are.

use std::{env, fs, path::Path};

const CSS: &str = "src/widgets/widgets.css";

fn main() {
    println!("cargo:rerun-if-changed={CSS}");
    let source = fs::read_to_string(CSS).expect("src/widgets/widgets.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("widgets.css");
    fs::write(out, minify(&source)).expect("OUT_DIR is writable");
}

fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
                space = true;
            }
            '"' | '\'' => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                for s in chars.by_ref() {
                    out.push(s);
                    if s == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => space = true,
            c => {
                push_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

/// One space between two tokens, none next to punctuation that needs none
/// (nor after a colon: a selector never has a space after one).
fn push_space(out: &mut String, space: &mut bool, next: char) {
    const TIGHT: &[char] = &['{', '}', ';', ',', '>'];
    if *space && !out.is_empty() && !out.ends_with(TIGHT) && !out.ends_with(':') && !TIGHT.contains(&next) {
        out.push(' ');
    }
    *space = false;
}
