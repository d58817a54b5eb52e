//! Classifier inference per document with the model loaded once (target ≤ 5 ms). Needs the ONNX
//! Runtime library and the model (`make setup`).

use criterion::{criterion_group, criterion_main, Criterion};
use varde::pipeline::classify::Classifier;

const LAB: &str = "Laboratoriesvar - Klinisk kjemi\nRekvirent: Demo legekontor\nAnalyse Resultat Enhet Referanseområde\nHemoglobin 11.9 g/dL 13.4 - 17.0 L\nCRP 42 mg/L < 5 H\nHbA1c 41 mmol/mol 20 - 42\nKreatinin 88 umol/L 60 - 105\nVurdering: forhøyet CRP og leukocytter.";
const PASSPORT: &str = "PASS PASSPORT PASSEPORT\nKONGERIKET NORGE KINGDOM OF NORWAY\nEtternavn/Surname NORDMANN\nFornavn/Given names KARI\nP<NORNORDMANN<<KARI<<<<<<<<<<<<<<<<<<<<<<<<<\nAB12345674NOR9001014F3001017<<<<<<<<<<<<<<02";

fn bench_classify(c: &mut Criterion) {
    let mut classifier =
        Classifier::load().expect("run `make setup` first: the runtime and model are needed");
    let mut g = c.benchmark_group("classifier");
    for (name, text) in [("lab_report_text", LAB), ("passport_text", PASSPORT)] {
        let long = text.repeat(8);
        g.bench_function(name, |b| b.iter(|| classifier.classify(text).unwrap()));
        g.bench_function(format!("{name}_x8"), |b| {
            b.iter(|| classifier.classify(&long).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench_classify);
criterion_main!(benches);
