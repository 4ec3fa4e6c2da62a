//! `treue compile` on the files German shops' tools really write: Excel's
//! Windows-1252 and semicolons, UTF-16, Atom and text feeds, HTML entities,
//! cut-off and binary files, and values the browser would refuse. Every
//! message is checked word for word.

use std::path::{Path, PathBuf};

mod common;

use common::treue;

fn dir(name: &str) -> PathBuf {
    common::dir("inputs", name)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

/// Compiles and returns (exit code, stderr lines, payload bytes if written).
fn compile(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<String>, Option<Vec<u8>>) {
    let out_path = dir.join("catalogue.bin");
    let _ = std::fs::remove_file(&out_path);
    let mut all = vec!["compile", "--out", out_path.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = treue(&all);
    let lines = String::from_utf8_lossy(&out.stderr).lines().map(str::to_string).collect();
    (out.status.code(), lines, std::fs::read(&out_path).ok())
}

/// The problem and warning lines, without the summary.
fn messages(lines: &[String]) -> Vec<String> {
    lines.iter().filter(|l| !l.starts_with("read ") && !l.starts_with("wrote ")).cloned().collect()
}

/// The clean UTF-8 CSV the other forms must compile to, byte for byte.
const CLEAN: &str = "\
sku,title,url,image,price,currency,category,product_type
CAM-1,Lumix S5,/p/cam-1,/img/cam.svg,1299.00,EUR,Fotografie > Kameras,Fotografie > Kameras
SD-64,\"SDXC 64 GB, schnell\",/p/sd-64,,24.90,EUR,Fotografie > Speicherkarten,Fotografie > Speicherkarten
MÜ-1,Müsli – süß,/p/muesli,,4.50,EUR,Lebensmittel > Frühstück,Lebensmittel > Frühstück
";

const ORDERS: &str = "\
order_id,customer_id,sku,quantity,date
1,c1,CAM-1,1,2026-01-01
1,c1,SD-64,1,2026-01-01
2,c2,CAM-1,1,2026-01-02
2,c2,SD-64,1,2026-01-02
3,c3,MÜ-1,1,2026-01-03
3,c3,SD-64,1,2026-01-03
";

fn windows_1252(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// What German Excel writes: semicolons, decimal commas (with a thousands dot), CRLF, Windows-1252.
fn excel(csv: &str) -> Vec<u8> {
    let german = csv
        .replace(',', ";")
        .replace("\"SDXC 64 GB; schnell\"", "\"SDXC 64 GB, schnell\"")
        .replace("1299.00", "1.299,00")
        .replace("24.90", "24,90")
        .replace("4.50", "4,5")
        .replace('\n', "\r\n");
    windows_1252(&german)
}

#[test]
fn a_german_excel_export_compiles_to_the_same_catalogue_as_clean_utf8() {
    let d = dir("excel");
    let clean = write(&d, "clean.csv", CLEAN.as_bytes());
    let orders = write(&d, "orders.csv", ORDERS.as_bytes());
    let (code, lines, expected) = compile(&d, &["--products", &clean, "--orders", &orders]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(lines[0], format!("read {clean}: products CSV, separated by commas, UTF-8"));
    assert_eq!(lines[1], format!("read {orders}: orders CSV, separated by commas, UTF-8"));

    let excel_products = write(&d, "excel.csv", &excel(CLEAN));
    let excel_orders = write(&d, "excel-orders.csv", &excel(ORDERS));
    let (code, lines, got) = compile(&d, &["--products", &excel_products, "--orders", &excel_orders]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(messages(&lines), Vec::<String>::new());
    assert_eq!(
        lines[0],
        format!(
            "read {excel_products}: products CSV, separated by semicolons, decimal commas, windows-1252 (the bytes are not UTF-8)"
        )
    );
    assert_eq!(
        lines[1],
        format!("read {excel_orders}: orders CSV, separated by semicolons, windows-1252 (the bytes are not UTF-8)")
    );
    assert!(expected.is_some());
    assert_eq!(got, expected);

    // Excel's "Unicode text": UTF-16 with a byte order mark, tab-separated.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        CLEAN
            .replace(',', "\t")
            .replace("\"SDXC 64 GB\t schnell\"", "SDXC 64 GB, schnell")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let unicode = write(&d, "unicode.txt", &utf16);
    let (code, lines, got) = compile(&d, &["--products", &unicode, "--orders", &orders]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(lines[0], format!("read {unicode}: products CSV, separated by tabs, UTF-16LE (byte order mark)"));
    assert_eq!(got, expected);
}

#[test]
fn encoding_and_separator_can_be_given() {
    let d = dir("given");
    let latin = write(&d, "latin.csv", &excel(CLEAN));
    let (code, lines, _) = compile(&d, &["--products", &latin, "--encoding", "utf-8"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [format!(
            "treue compile: {latin}:4: this line is not UTF-8 although --encoding says so; save the file again as UTF-8 or give --encoding windows-1252; nothing written"
        )]
    );
    let (code, lines, _) = compile(&d, &["--products", &latin, "--encoding", "latin1", "--delimiter", ";"]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        lines[0],
        format!("read {latin}: products CSV, separated by semicolons, decimal commas (--delimiter), windows-1252 (--encoding)")
    );
    let (code, lines, _) = compile(&d, &["--products", &latin, "--delimiter", ","]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [format!(
            "treue compile: {latin}:1: unknown column(s) \"sku;title;url;image;price;currency;category;product_type\"; the columns are sku,title,url,image,price,sale_price,currency,category,brand,item_group,product_type,availability,labels,highlights,related (the header was split at commas, but holds semicolons: give --delimiter ';'); nothing written"
        )]
    );
    // One row written with another separator.
    let clean = write(&d, "clean.csv", CLEAN.as_bytes());
    let orders = write(&d, "orders.csv", format!("{ORDERS}4;c4;CAM-1;1;2026-01-04\n").as_bytes());
    let (_, lines, _) = compile(&d, &["--products", &clean, "--orders", &orders]);
    assert_eq!(
        messages(&lines),
        [format!(
            "{orders}:8: has 1 cells, the header has 5 (the row holds semicolons but the file is separated by commas: was it exported with another separator?)"
        )]
    );
    let (code, lines, _) = compile(&d, &["--products", &latin, "--encoding", "klingon"]);
    assert_eq!(code, Some(2));
    assert!(
        lines[0].contains(
            "--encoding \"klingon\" is not an encoding name such as utf-8, windows-1252, iso-8859-1 or utf-16le"
        ),
        "{lines:?}"
    );
}

#[test]
fn a_file_mixing_encodings_names_the_first_line_that_differs() {
    let d = dir("mixed");
    let mut bytes = CLEAN.as_bytes().to_vec();
    bytes.extend_from_slice(b"K\xC4SE-1,K\xE4se,/p/k,,3.00,EUR,Lebensmittel,\n");
    let mixed = write(&d, "mixed.csv", &bytes);
    let (code, lines, _) = compile(&d, &["--products", &mixed]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines,
        [format!(
            "treue compile: {mixed}:5: this line is not UTF-8, but lines before it are: the file mixes encodings. Save it again as UTF-8 (in Excel: \"CSV UTF-8\"), or give --encoding windows-1252 if most of it is; nothing written"
        )]
    );
}

const ATOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
  <title>Shop</title>
  <link rel="self" href="https://shop.example/feed.atom"/>
  <entry>
    <id>tag:shop.example,2026:cam-1</id>
    <g:id>CAM-1</g:id>
    <title>Lumix S5</title>
    <link href="/p/cam-1"/>
    <g:image_link>/img/cam.svg</g:image_link>
    <g:price>1299.00 EUR</g:price>
    <g:product_type>Fotografie &gt; Kameras</g:product_type>
  </entry>
  <entry>
    <g:id>SD-64</g:id>
    <title>SDXC 64 GB, schnell</title>
    <link rel="enclosure" href="/files/sd.pdf"/>
    <link rel="alternate" href="/p/sd-64"/>
    <g:price>24.90 EUR</g:price>
    <g:product_type>Fotografie &gt; Speicherkarten</g:product_type>
  </entry>
  <entry>
    <g:id>MÜ-1</g:id>
    <title>M&uuml;sli &ndash; s&uuml;&szlig;</title>
    <summary>Knusprig&nbsp;und lecker</summary>
    <link href="/p/muesli"/>
    <g:price>4.50 EUR</g:price>
    <g:product_type>Lebensmittel &gt; Frühstück</g:product_type>
  </entry>
</feed>
"#;

#[test]
fn an_atom_feed_compiles_to_the_same_catalogue_and_html_entities_are_read_with_a_warning() {
    let d = dir("atom");
    let clean = write(&d, "clean.csv", CLEAN.as_bytes());
    let orders = write(&d, "orders.csv", ORDERS.as_bytes());
    let (_, _, expected) = compile(&d, &["--products", &clean, "--orders", &orders]);
    let atom = write(&d, "feed.atom", ATOM.as_bytes());
    let (code, lines, got) = compile(&d, &["--feed", &atom, "--orders", &orders]);
    assert_eq!(code, Some(0), "{lines:?}");
    let entity = |line: u32, field: &str, name: &str, text: &str, code: &str| {
        format!(
            "{atom}:{line}: {field}: &{name}; is an HTML entity, which XML does not define; read as {text} (write the character itself or {code})"
        )
    };
    assert_eq!(
        messages(&lines),
        [
            entity(24, "title", "uuml", "\"ü\"", "&#252;"),
            entity(24, "title", "ndash", "\"–\"", "&#8211;"),
            entity(24, "title", "uuml", "\"ü\"", "&#252;"),
            entity(24, "title", "szlig", "\"ß\"", "&#223;"),
            entity(25, "summary", "nbsp", "\"\\u{a0}\"", "&#160;"),
        ]
    );
    assert_eq!(lines[5], format!("read {atom}: Google feed (Atom 1.0), UTF-8"));
    assert!(
        lines[7].contains("3 products used, 0 skipped") && lines[7].contains("0 problems, 5 warnings"),
        "{}",
        lines[7]
    );
    assert!(expected.is_some());
    assert_eq!(got, expected);

    // --json: one object per warning, and the summary names the format.
    let out = treue(&["compile", "--feed", &atom, "--out", d.join("json.bin").to_str().unwrap(), "--json"]);
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 5 + 1);
    assert_eq!(lines[0]["warning"]["line"], 24);
    assert_eq!(lines[0]["warning"]["field"], "title");
    assert_eq!(lines[5]["summary"]["warnings"], 5);
    assert_eq!(lines[5]["summary"]["products_read"], "Google feed (Atom 1.0), UTF-8");

    // --strict does not stop at a warning.
    let (code, _, _) = compile(&d, &["--feed", &atom, "--strict"]);
    assert_eq!(code, Some(0));

    let cut = write(&d, "cut.atom", &ATOM.as_bytes()[..ATOM.find("<g:price>24.90").unwrap()]);
    let (code, lines, _) = compile(&d, &["--feed", &cut]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "treue compile: {cut}:19: not a well-formed XML feed: it ends inside an element, so it was probably cut off; export the feed again; nothing written"
        )
    );

    let unknown = write(&d, "unknown.atom", ATOM.replace("&ndash;", "&nope;").as_bytes());
    let (code, lines, _) = compile(&d, &["--feed", &unknown]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "treue compile: {unknown}:24: title: unknown entity &nope; (neither XML nor HTML defines it; write the character itself); nothing written"
        )
    );
}

#[test]
fn a_feed_declaring_latin_1_is_read_as_declared() {
    let d = dir("latin_feed");
    let feed = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\" xmlns:g=\"http://base.google.com/ns/1.0\"><channel>\n\
        <item><g:id>MÜ-1</g:id><g:title>Müsli</g:title><g:link>/p/muesli</g:link><g:price>4.50 EUR</g:price>\
        <g:product_type>Lebensmittel</g:product_type></item>\n</channel></rss>\n";
    // Blank lines before the declaration do not make it a CSV.
    let path = write(&d, "feed.xml", &windows_1252(&format!("\n\n{feed}")));
    let (code, lines, _) = compile(&d, &["--feed", &path]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(lines[0], format!("read {path}: Google feed (RSS 2.0), windows-1252 (as the XML declaration says)"));
    let out = treue(&["inspect", d.join("catalogue.bin").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"sku\": \"MÜ-1\""));
}

#[test]
fn a_google_text_feed_is_read_by_its_column_names() {
    let d = dir("text_feed");
    let feed = "id\ttitle\tdescription\tlink\timage link\tprice\tsale_price\tavailability\tproduct_type\tgtin\n\
        CAM-1\tLumix S5\tEine Kamera\t/p/cam-1\t/img/cam.svg\t1299.00 EUR\t1199.00 EUR\tin stock\tFotografie > Kameras\t123\n\
        SD-64\tSDXC 64 GB\t\t/p/sd-64\t\t24.90 EUR\t\tout of stock\tFotografie > Speicherkarten\t\n";
    let path = write(&d, "feed.txt", feed.as_bytes());
    let (code, lines, _) = compile(&d, &["--feed", &path]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(lines[0], format!("read {path}: Google text feed, separated by tabs, UTF-8"));
    let out = treue(&["inspect", d.join("catalogue.bin").to_str().unwrap()]);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["products"][0]["sale_price"], 119_900);
    assert_eq!(doc["products"][0]["image"], "/img/cam.svg");
    assert_eq!(doc["products"][1]["availability"], "out_of_stock");
}

#[test]
fn line_numbers_are_right_for_crlf_and_for_cells_spanning_lines() {
    let d = dir("lines");
    let products = "sku,title,url,price,currency,category\r\n\
        A,\"Zwei\r\nZeilen\",/a,1.00,EUR,X\r\n\
        B,Ohne Preis,/b,,EUR,X\r\n\
        C,\"Drei\nZeilen\nhier\",/c,1.00,EUR,X\r\n\
        D,Ohne Kategorie,/d,1.00,EUR,\r\n";
    let path = write(&d, "p.csv", products.as_bytes());
    let (code, lines, _) = compile(&d, &["--products", &path]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        messages(&lines),
        [format!("{path}:4: price: is empty (required)"), format!("{path}:8: category: is empty (required)")]
    );
}

#[test]
fn a_cut_off_file_is_named_as_probably_cut_off() {
    let d = dir("cut");
    let products = write(&d, "p.csv", CLEAN.as_bytes());
    // Cut inside the last SKU (SD-64 -> SD-6): with sku the last column the row has every cell.
    let cut = write(
        &d,
        "cut.csv",
        b"order_id,customer_id,date,quantity,sku\n1,c1,2026-01-01,1,CAM-1\n1,c1,2026-01-01,1,SD-6",
    );
    let (code, lines, _) = compile(&d, &["--products", &products, "--orders", &cut]);
    assert_eq!(code, Some(0));
    assert_eq!(
        messages(&lines),
        [format!(
            "{cut}:3: the file ends on line 3 without a line end: it was probably cut off; export the file again, or end it with a line break if it is complete; the row is skipped"
        )]
    );
    assert!(lines.last().unwrap().contains("1 order lines used, 1 skipped"));

    // Cut inside quotes, with a line break in the quoted cell.
    let quoted =
        write(&d, "quoted.csv", b"order_id,customer_id,sku,quantity,date\n1,c1,CAM-1,1,2026-01-01\n1,\"c1\nc2,SD");
    let (_, lines, _) = compile(&d, &["--products", &products, "--orders", &quoted]);
    assert_eq!(
        messages(&lines),
        [format!(
            "{quoted}:4: the file ends inside a quoted cell opened on line 3: it was probably cut off; the row is skipped (export the file again, or close the quote)"
        )]
    );

    // A products file cut in a row: fewer cells.
    let short = write(&d, "short.csv", &CLEAN.as_bytes()[..CLEAN.len() - 40]);
    let (_, lines, _) = compile(&d, &["--products", &short]);
    assert_eq!(
        messages(&lines),
        [format!(
            "{short}:4: the file ends on line 4 without a line end: it was probably cut off; export the file again, or end it with a line break if it is complete; the row is skipped"
        )]
    );

    // A complete products file without a final line break (as Google Sheets writes): kept, with a warning.
    let sheets = write(&d, "sheets.csv", CLEAN.trim_end().as_bytes());
    let (code, lines, _) = compile(&d, &["--products", &sheets]);
    assert_eq!(code, Some(0));
    assert_eq!(
        messages(&lines),
        [format!(
            "{sheets}:4: the file ends on line 4 without a line end: it was probably cut off; check its last row, or end it with a line break if it is complete; the row is kept"
        )]
    );
    assert!(lines.last().unwrap().contains("3 products used"));
}

#[test]
fn binary_content_stops_the_run_at_once_with_its_offset() {
    let d = dir("binary");
    let products = write(&d, "p.csv", CLEAN.as_bytes());
    // An export padded with zeros (sparse, so the test stays small on disk).
    let padded = d.join("orders.csv");
    std::fs::write(&padded, ORDERS).unwrap();
    std::fs::OpenOptions::new().write(true).open(&padded).unwrap().set_len(1 << 30).unwrap();
    let padded = padded.display().to_string();
    let (code, lines, written) = compile(&d, &["--products", &products, "--orders", &padded]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lines.last().unwrap(),
        &format!(
            "treue compile: {padded}:8: a NUL byte at byte {}: this is not a CSV or feed text file; export it again, or check it is the right file; nothing written",
            ORDERS.len()
        )
    );
    assert!(written.is_none());

    // UTF-16 without a byte order mark is named as such.
    let utf16: Vec<u8> = CLEAN.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let path = write(&d, "utf16.csv", &utf16);
    let (_, lines, _) = compile(&d, &["--products", &path]);
    assert_eq!(
        lines,
        [format!(
            "treue compile: {path}:1: a NUL byte at byte 1: this is not a CSV or feed text file; it looks like UTF-16 without a byte order mark: give --encoding utf-16le; nothing written"
        )]
    );
}

#[test]
fn values_the_browser_would_refuse_are_reported() {
    let d = dir("refused");
    let products = "sku,title,url,image,price,currency,category\n\
        A,Skript,javascript:alert(1),,1.00,EUR,X\n\
        B,Bild,/b,data:image/svg+xml;base64 PHN2Zz4=,1.00,EUR,X\n\
        C,Probe,/c,,0,EUR,X\n\
        D,Zu teuer,/d,,90071992547409.92,EUR,X\n\
        E,Gerade noch,/e,,90071992547409.91,EUR,X\n\
        F,Fremd,//evil.example/f,/f.svg,1.00,EUR,X\n";
    let path = write(&d, "p.csv", products.as_bytes());
    let (code, lines, _) = compile(&d, &["--products", &path]);
    assert_eq!(code, Some(0), "{lines:?}");
    assert_eq!(
        messages(&lines),
        [
            format!("{path}:2: url: \"javascript:alert(1)\" is not an http(s) address or a path such as /p/1: the browser refuses such a link"),
            format!("{path}:3: image: \"data:image/svg+xml;base64 PHN2Zz4=\" is not an http(s) address or a path such as /p/1: the browser refuses such an image; the product is shown without it"),
            format!("{path}:4: price: is 0: the product is offered for free; right for free samples, otherwise fix the price; kept"),
            format!("{path}:5: price: \"90071992547409.92\" is 9007199254740992 minor units, more than a browser counts exactly (9007199254740991); is a digit too many, or the unit wrong?"),
            format!("{path}:7: url: \"//evil.example/f\" is not an http(s) address or a path such as /p/1: the browser refuses such a link"),
        ]
    );
    assert!(
        lines.last().unwrap().contains("3 products used, 3 skipped")
            && lines.last().unwrap().contains("4 problems, 1 warning"),
        "{lines:?}"
    );

    for k in ["0", "65"] {
        let out = treue(&["compile", "--products", &path, "--out", "x.bin", "--top-k", k]);
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("invalid value '{k}' for '--top-k <TOP_K>': expected a whole number from 1 to 64")),
            "{err}"
        );
    }
}
