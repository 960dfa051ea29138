"""Reading a label from free text (an agent's answer, an LLM voter's output), in Chinese and English:\nclauses, verdict rules and the label vocabularies. Read by eval and by the voters."""
