//! Every copy of the numbers and names that cross between the wasm and JavaScript agrees with
//! their one definition in Rust (`src/boundary.rs`, `src/error.rs`): the shell's constants in
//! `js/numbers.js` and `js/interop.js`, the codes in `js/error.js` and `js/index.d.ts`, the event names in
//! `js/core.js`.
use clink_js::boundary::{limits, shell_failure, step_input, step_op, value_kind};
use clink_js::error::Code;
use std::collections::BTreeMap;

fn read(path: &str) -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every `NAME = number` in a JavaScript file.
fn js_constants(source: &str) -> BTreeMap<String, u32> {
    let mut found = BTreeMap::new();
    for piece in source.split(|c| c == ',' || c == ';' || c == '\n') {
        let piece = piece.trim().trim_start_matches("export ").trim_start_matches("const ");
        if let Some((name, value)) = piece.split_once(" = ") {
            if let (true, Ok(n)) = (name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'), value.trim().parse()) {
                assert!(found.insert(name.to_string(), n).is_none(), "{name} is defined twice");
            }
        }
    }
    found
}

/// The quoted strings of the first `[ … ]` after `marker`.
fn js_string_list(source: &str, marker: &str) -> Vec<String> {
    let start = source.find(marker).unwrap_or_else(|| panic!("{marker} not found"));
    let rest = &source[start..];
    let list = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
    list.split(',').map(|s| s.trim().trim_matches('\'').to_string()).filter(|s| !s.is_empty()).collect()
}

#[test]
fn js_numbers_match_rust() {
    let mut js = js_constants(&read("js/numbers.js"));
    js.extend(js_constants(&read("js/interop.js")));
    let groups: [(&str, &[(&str, u32)]); 5] = [
        ("", step_input::ALL),
        ("", shell_failure::ALL),
        ("KIND_", value_kind::ALL),
        ("", limits::ALL),
        // The events are by index in core.js's EVENT_TYPES (checked below); the rest by name.
        ("", &step_op::ALL[6..]),
    ];
    let mut expected = BTreeMap::new();
    for (prefix, all) in groups {
        for (name, value) in all {
            expected.insert(format!("{prefix}{name}"), *value);
        }
    }
    let shell_only = ["BOOTSTRAP_TIMEOUT_MS", "MAX_SHARED"];
    let copies: BTreeMap<_, _> = js.into_iter().filter(|(name, _)| !shell_only.contains(&name.as_str())).collect();
    assert_eq!(copies, expected, "js/numbers.js differs from src/boundary.rs");
}

#[test]
fn every_group_numbers_its_rows_from_zero() {
    for all in [step_input::ALL, step_op::ALL, shell_failure::ALL, value_kind::ALL] {
        for (i, (name, value)) in all.iter().enumerate() {
            assert_eq!(*value as usize, i, "{name}");
        }
    }
}

#[test]
fn event_types_are_the_first_ops() {
    let events = js_string_list(&read("js/core.js"), "const EVENT_TYPES =");
    let ops: Vec<String> = step_op::ALL.iter().take(events.len()).map(|(name, _)| name.to_ascii_lowercase()).collect();
    assert_eq!(events, ops);
    assert_eq!(step_op::ALL.get(events.len()).map(|(n, _)| *n), Some("HEIGHT"), "the shell's own ops follow the events");
}

#[test]
fn error_codes_match_in_every_copy() {
    let rust: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    assert_eq!(js_string_list(&read("js/error.js"), "const CODES ="), rust, "js/error.js CODES (the wasm passes a code's index)");
    let dts = read("js/index.d.ts");
    let declared: Vec<String> = dts
        .lines()
        .filter_map(|l| l.trim().strip_prefix("readonly ")?.split_once(':').map(|(k, v)| (k.to_string(), v.trim().trim_end_matches(';').trim_matches('\'').to_string())))
        .filter(|(k, v)| k == v)
        .map(|(k, _)| k)
        .collect();
    assert_eq!(declared, rust, "CLINK_ERROR_CODES in js/index.d.ts");
}
