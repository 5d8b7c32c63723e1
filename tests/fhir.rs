//! FHIR R4 Questionnaire export and QuestionnaireResponse reading.
