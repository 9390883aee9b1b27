fn main() {
    std::process::exit(mutu::cli::main());
}
