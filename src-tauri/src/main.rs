// The Varde desktop app. No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // The same binary is the isolated document worker the core starts: parsers of untrusted
    // files run in that child process, never in the one holding the keys and the window.
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == varde::pipeline::worker::WORKER_ARG)
    {
        varde::pipeline::worker::serve();
    }
    varde_desktop::run();
}
