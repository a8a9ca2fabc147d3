//! scratch
#[test]
fn dbg() {
    let engine = phiscan::engine::Engine::new(phiscan::rules::builtin::rules().unwrap()).unwrap();
    let text = std::env::var("T").unwrap();
    for c in engine.find(text.as_bytes()) {
        println!("{} {}..{} {:?} {}", engine.rules()[c.rule].id, c.start, c.end, &text[c.start..c.end], c.confidence);
    }
}
