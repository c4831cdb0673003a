"""Pure rules of activities: texts in six languages, quiz scoring, word filtering, glossary
normalisation. No framework, database, clock or I/O."""
