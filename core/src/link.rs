//! Which catalogue URLs a widget may put into a page. Links and images come
//! from merchant feeds that anyone could have edited, so only http(s) and
//! relative URLs pass; `javascript:`, `data:` and the like are refused.

/// True for `https://…`, `http://…`, and relative URLs (`/p/1`, `p/1`, `?sku=1`).
pub fn is_safe(url: &str) -> bool {
    let url = url.trim_start();
    if url.is_empty() || url.starts_with("//") {
        // Protocol-relative URLs could point anywhere on a foreign host; refuse them
        // rather than guess the page's scheme.
        return false;
    }
    if url.chars().any(|c| c.is_control()) {
        return false;
    }
    match url.find(':') {
        None => true,
        Some(colon) => {
            let before = &url[..colon];
            // A colon after a path, query or fragment start is not a scheme.
            if before.contains(['/', '?', '#']) {
                return true;
            }
            let scheme = before.to_ascii_lowercase();
            scheme == "https" || scheme == "http"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe;

    #[test]
    fn accepts_http_and_relative_urls() {
        for url in ["https://shop.example/p/1", "HTTP://shop.example", "/product.html?sku=A:1", "img/a.svg", "?sku=1"] {
            assert!(is_safe(url), "{url}");
        }
    }

    #[test]
    fn refuses_scripts_data_and_odd_schemes() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "java\tscript:alert(1)",
            "//evil.example/x",
            "",
        ] {
            assert!(!is_safe(url), "{url:?}");
        }
    }
}
