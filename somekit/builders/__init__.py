"""Task builders (`builders/tasks/`, one module per task) and what they share: the pair and
sampling SQL of the templated tasks, query templates, topics, clustering, persona threads and
clusters, and the registry that finds a task's builder."""
