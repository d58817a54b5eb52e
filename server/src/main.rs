//! `varde-server`: the clinic's central audit server (being built; see issue 8).

fn main() {
    eprintln!("varde-server: not built yet");
    std::process::exit(2);
}
