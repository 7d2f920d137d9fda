fn main() {
    std::process::exit(duyet::cli::main());
}
