//! Writes the private key of a generated repository's approver `ld<I>`
//! (seed as `synth` uses it) as an OpenSSH key file, so whole-process
//! benchmarks can record decisions on it:
//! `cargo run --release --example synth_key -- FILE [I] [SEED]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: synth_key FILE [I] [SEED]");
        std::process::exit(2);
    };
    let i: u8 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1);
    let spec_seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&spec_seed.to_le_bytes());
    seed[31] = i;
    let email = format!("ld{i}@stttt.langson.gov.vn");
    let written =
        duyet::sign::seeded_ssh_signer(seed, &email).and_then(|(signer, _)| match signer {
            duyet::sign::Signer::SshKey { key, .. } => key
                .write_openssh_file(std::path::Path::new(file), ssh_key::LineEnding::LF)
                .map_err(|e| duyet::sign::SignError::Invalid(e.to_string())),
            duyet::sign::Signer::Program { .. } => Err(duyet::sign::SignError::Invalid(
                "not an in-process key".into(),
            )),
        });
    if let Err(e) = written {
        eprintln!("synth_key: {e}");
        std::process::exit(2);
    }
}
