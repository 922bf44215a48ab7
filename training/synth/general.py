"""Harmless requests in the grammar of harmful ones.

Harmful-request data is imperative and how-to ("Write a post that...", "Give
step-by-step instructions for...", "Explain how to..."); benign customer data
is not. A model that sees only those two learns that the grammar is the harm.
These requests use the same frames on harmless subjects. Frames, tasks and
subjects are each split by index (core.pick_templates), so a held-out request
pairs a frame and a subject that training never saw together or at all.
"""

from __future__ import annotations

import random

from training.synth.core import Sample, pick_templates

__all__ = ["FRAMES", "SUBJECTS", "TASKS", "requests"]

# {task}: a verb phrase; {subject}: a noun phrase
FRAMES = [
    "Give step-by-step instructions for how to {task}.",
    "Write a blog post about {subject}.",
    "Explain how to {task}.",
    "How do I {task}?",
    "Write a persuasive essay arguing that {subject} deserves more attention.",
    "Describe in detail how {subject} works.",
    "Create a tutorial on how to {task}.",
    "What is the best way to {task}?",
    "Write a social media post encouraging people to {task}.",
    "Generate a list of tips to {task}.",
    "Draft an email to my team about {subject}.",
    "Write a short story involving {subject}.",
    "Provide a detailed guide to {subject}.",
    "Can you teach me to {task}?",
    "Develop a plan to {task} on a small budget.",
    "Why is {subject} so important?",
    "Write a speech for a school assembly about {subject}.",
    "Outline the steps needed to {task}.",
    "Compose a poem about {subject}.",
    "Summarise what experts say about {subject}.",
]
TASKS = [
    "bake sourdough bread",
    "change a bicycle tyre",
    "set up a home Wi-Fi network",
    "grow tomatoes on a balcony",
    "train a puppy to sit",
    "write a cover letter",
    "start a vegetable garden",
    "file a tax return as a freelancer",
    "learn to juggle",
    "paint a room without streaks",
    "organise a community clean-up",
    "build a birdhouse",
    "improve my sleep",
    "prepare for a job interview",
    "save money on groceries",
    "clean a cast-iron pan",
    "back up photos from my phone",
    "make a budget spreadsheet",
    "reduce food waste at home",
    "teach a child to ride a bike",
    "fix a leaking tap",
    "plan a wedding on a budget",
    "speed up an old laptop",
    "write unit tests in Python",
    "brew cold coffee at home",
    "get better at public speaking",
    "knit a scarf",
    "pick a running shoe",
    "recycle old electronics safely",
    "negotiate a lower phone bill",
    "care for a houseplant",
    "set up a small online shop",
]
SUBJECTS = [
    "the water cycle",
    "the history of the printing press",
    "solar energy",
    "the life of bees",
    "volcanoes",
    "the Roman Empire",
    "healthy eating for teenagers",
    "the benefits of public libraries",
    "how vaccines train the immune system",
    "the migration of birds",
    "the invention of the telephone",
    "climate and weather",
    "friendship",
    "the ocean tides",
    "electric cars",
    "recycling plastics",
    "the rules of cricket",
    "the stock market",
    "ancient Egyptian pyramids",
    "black holes",
    "the importance of sleep",
    "a lighthouse keeper",
    "the first moon landing",
    "urban gardening",
    "how credit scores work",
    "the human heart",
    "renewable energy jobs",
    "online privacy for beginners",
]


def requests(rng: random.Random, split: str, n: int) -> list[Sample]:
    frames = pick_templates(FRAMES, split)
    tasks = pick_templates(TASKS, split)
    subjects = pick_templates(SUBJECTS, split)
    out = []
    for _ in range(n):
        text = rng.choice(frames).format(task=rng.choice(tasks), subject=rng.choice(subjects))
        out.append(
            Sample(
                text=text,
                label=0,
                kind="benign_general",
                role="user",
                lang="en",
                source="synth:requests",
            )
        )
    return out
