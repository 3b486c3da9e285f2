"""The question table's data: LongBench prompts split into instruction, contexts and question,
answers found in the text, hidden passages and the metric.
Run: PYTHONPATH=models /usr/bin/python3 -m unittest discover -s tests/models -p test_question_data.py"""
import unittest

from mooscomp_models.quality.question_block import kept_text, scores_of
from mooscomp_models.quality.question_data import answer_in, hidden_among_four, norm, split_prompt

PROMPT = ("Answer the question based on the given passages. Only give me the answer.\n\n"
          "The following are given passages.\nPassage 1:\nParis\nParis is the capital of France.\n"
          "Passage 2:\nBread\nBread is baked at dawn.\n\nAnswer the question based on the given passages.\n\n"
          "Question: What is the capital of France?\nAnswer:")


class QuestionDataTest(unittest.TestCase):
    def test_a_multi_hop_prompt_splits_into_its_passages_and_question(self):
        instruction, contexts, question = split_prompt("hotpotqa", PROMPT)
        self.assertTrue(instruction.startswith("Answer the question"))
        self.assertEqual(question, "What is the capital of France?")
        self.assertEqual(len(contexts), 2)
        self.assertIn("Paris is the capital", contexts[0])
        self.assertNotIn("Answer the question", contexts[1])

    def test_one_document_tasks_keep_one_context(self):
        _, contexts, _ = split_prompt("qasper", PROMPT)
        self.assertEqual(len(contexts), 1)

    def test_answers_are_found_normalised_and_scored_on_kept_words(self):
        self.assertEqual(norm("Hollywood, Florida!"), " hollywood florida ")
        self.assertEqual(answer_in(["It is PARIS."], ["London", "Paris"]), "Paris")
        self.assertIsNone(answer_in(["nothing here"], ["Paris"]))
        # A yes/no answer is a judgment: the "no" of "no train has run" is not it.
        self.assertIsNone(answer_in(["No train has run since 1993."], ["no"]))
        self.assertEqual(answer_in(["Yes Minister is a sitcom."], ["yes", "Yes Minister"]), "Yes Minister")
        it = {"answer": "Hollywood, Florida", "text": ["in Hollywood, Florida today"]}
        self.assertEqual(scores_of(it, kept_text(it["text"], [[[3, 13], [14, 21]]])), (1.0, 1.0))
        self.assertEqual(scores_of(it, kept_text(it["text"], [[[3, 13]]])), (0.0, 0.5))

    def test_the_answer_passage_is_hidden_among_four_others(self):
        items = [{"set": "multi-passage", "answer": a, "text": [f"{a} passage {i}", f"other {i}"]}
                 for i, a in enumerate(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])]
        hidden = hidden_among_four(items)
        self.assertEqual(len(hidden), 6)
        for i, h in enumerate(hidden):
            self.assertEqual(len(h["text"]), 5)
            self.assertEqual(h["text"][i % 5], f"{items[i]['answer']} passage {i}")


if __name__ == "__main__":
    unittest.main()
