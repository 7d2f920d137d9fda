//! Times the diff of the 20,000-line pair (a quick check beside `cargo bench`).
fn main() {
    let (old, new) = duyet::ops::synth::big_pair(20_000, 200, 7);
    let start = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..10 {
        n += duyet::diff::diff_texts(&old, &new).changes.len();
    }
    println!("{:?} per diff ({} changes)", start.elapsed() / 10, n / 10);
}
