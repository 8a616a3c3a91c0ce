print("orgbatch")
